export type ImageSize = {
  /**
   * The height of the generated image. Default value: `512`
   */
  height?: number;
  /**
   * The width of the generated image. Default value: `512`
   */
  width?: number;
};
export type Flux2FlashInput = {
  /**
   * If set to true, the prompt will be expanded for better results.
   */
  enable_prompt_expansion?: boolean;
  /**
   * If set to true, the safety checker will be enabled. Default value: `true`
   */
  enable_safety_checker?: boolean;
  /**
   * Guidance Scale is a measure of how close you want the model to stick to your prompt when looking for a related image to show you. Default value: `2.5`
   */
  guidance_scale?: number;
  /**
   * The size of the image to generate. The width and height must be between 512 and 2048 pixels. Default value: `landscape_4_3`
   */
  image_size?:
    | ImageSize
    | "square_hd"
    | "square"
    | "portrait_4_3"
    | "portrait_16_9"
    | "landscape_4_3"
    | "landscape_16_9";
  /**
   * The number of images to generate. Default value: `1`
   */
  num_images?: number;
  /**
   * The format of the generated image. Default value: `"png"`
   */
  output_format?: "jpeg" | "png" | "webp";
  /**
   * The prompt to generate an image from.
   */
  prompt: string;
  /**
   * The seed to use for the generation. If not provided, a random seed will be used.
   */
  seed?: number;
  /**
   * If `True`, the media will be returned as a data URI and the output data won't be available in the request history.
   */
  sync_mode?: boolean;
};
export type Flux2TurboInput = Flux2FlashInput;
export type SeedDream4T2IInput = {
  /**
   * If set to true, the safety checker will be enabled. Default value: `true`
   */
  enable_safety_checker?: boolean;
  /**
   * The mode to use for enhancing prompt enhancement. Standard mode provides higher quality results but takes longer to generate. Fast mode provides average quality results but takes less time to generate. Default value: `"standard"`
   */
  enhance_prompt_mode?: "standard" | "fast";
  /**
   * The size of the generated image. Total pixels must be between 960x960 and 4096x4096.
   */
  image_size?:
    | ImageSize
    | "square_hd"
    | "square"
    | "portrait_4_3"
    | "portrait_16_9"
    | "landscape_4_3"
    | "landscape_16_9"
    | "auto"
    | "auto_2K"
    | "auto_4K";
  /**
   * If set to a number greater than one, enables multi-image generation. The model will potentially return up to `max_images` images every generation, and in total, `num_images` generations will be carried out. In total, the number of images generated will be between `num_images` and `max_images*num_images`. Default value: `1`
   */
  max_images?: number;
  /**
   * Number of separate model generations to be run with the prompt. Default value: `1`
   */
  num_images?: number;
  /**
   * The text prompt used to generate the image
   */
  prompt: string;
  /**
   * Random seed to control the stochasticity of image generation.
   */
  seed?: number;
  /**
   * If `True`, the media will be returned as a data URI and the output data won't be available in the request history.
   */
  sync_mode?: boolean;
};
export type BytedanceSeedreamV4TextToImageInput = SeedDream4T2IInput;
export type SeedanceProTextToVideoInput = {
  /**
   * The aspect ratio of the generated video Default value: `"16:9"`
   */
  aspect_ratio?: "21:9" | "16:9" | "4:3" | "1:1" | "3:4" | "9:16";
  /**
   * Whether to fix the camera position
   */
  camera_fixed?: boolean;
  /**
   * Duration of the video in seconds Default value: `"5"`
   */
  duration?: "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "10" | "11" | "12";
  /**
   * If set to true, the safety checker will be enabled. Default value: `true`
   */
  enable_safety_checker?: boolean;
  /**
   * The number of frames to generate. If provided, will override duration.
   */
  num_frames?: number;
  /**
   * The text prompt used to generate the video
   */
  prompt: string;
  /**
   * Video resolution - 480p for faster generation, 720p for balance, 1080p for higher quality Default value: `"1080p"`
   */
  resolution?: "480p" | "720p" | "1080p";
  /**
   * Random seed to control video generation. Use -1 for random.
   */
  seed?: number;
};
export type BytedanceSeedanceV1ProFastTextToVideoInput =
  SeedanceProTextToVideoInput;
export type Flux2FlashEditInput = {
  /**
   * If set to true, the prompt will be expanded for better results.
   */
  enable_prompt_expansion?: boolean;
  /**
   * If set to true, the safety checker will be enabled. Default value: `true`
   */
  enable_safety_checker?: boolean;
  /**
   * Guidance Scale is a measure of how close you want the model to stick to your prompt when looking for a related image to show you. Default value: `2.5`
   */
  guidance_scale?: number;
  /**
   * The size of the image to generate. The width and height must be between 512 and 2048 pixels. Default value: `square_hd`
   */
  image_size?:
    | ImageSize
    | "square_hd"
    | "square"
    | "portrait_4_3"
    | "portrait_16_9"
    | "landscape_4_3"
    | "landscape_16_9";
  /**
   * The URLs of the images for editing. A maximum of 4 images are allowed, if more are provided, only the first 4 will be used.
   */
  image_urls: Array<string>;
  /**
   * The number of images to generate. Default value: `1`
   */
  num_images?: number;
  /**
   * The format of the generated image. Default value: `"png"`
   */
  output_format?: "jpeg" | "png" | "webp";
  /**
   * The prompt to edit the image.
   */
  prompt: string;
  /**
   * The seed to use for the generation. If not provided, a random seed will be used.
   */
  seed?: number;
  /**
   * If `True`, the media will be returned as a data URI and the output data won't be available in the request history.
   */
  sync_mode?: boolean;
};
export type Flux2TurboEditInput = Flux2FlashEditInput;
export type SeedDream4EditInput = {
  /**
   * If set to true, the safety checker will be enabled. Default value: `true`
   */
  enable_safety_checker?: boolean;
  /**
   * The mode to use for enhancing prompt enhancement. Standard mode provides higher quality results but takes longer to generate. Fast mode provides average quality results but takes less time to generate. Default value: `"standard"`
   */
  enhance_prompt_mode?: "standard" | "fast";
  /**
   * The size of the generated image. The minimum total image area is 921600 pixels. Failing this, the image size will be adjusted to by scaling it up, while maintaining the aspect ratio.
   */
  image_size?:
    | ImageSize
    | "square_hd"
    | "square"
    | "portrait_4_3"
    | "portrait_16_9"
    | "landscape_4_3"
    | "landscape_16_9"
    | "auto"
    | "auto_2K"
    | "auto_4K";
  /**
   * List of URLs of input images for editing. Presently, up to 10 image inputs are allowed. If over 10 images are sent, only the last 10 will be used.
   */
  image_urls: Array<string>;
  /**
   * If set to a number greater than one, enables multi-image generation. The model will potentially return up to `max_images` images every generation, and in total, `num_images` generations will be carried out. In total, the number of images generated will be between `num_images` and `max_images*num_images`. The total number of images (image inputs + image outputs) must not exceed 15 Default value: `1`
   */
  max_images?: number;
  /**
   * Number of separate model generations to be run with the prompt. Default value: `1`
   */
  num_images?: number;
  /**
   * The text prompt used to edit the image
   */
  prompt: string;
  /**
   * Random seed to control the stochasticity of image generation.
   */
  seed?: number;
  /**
   * If `True`, the media will be returned as a data URI and the output data won't be available in the request history.
   */
  sync_mode?: boolean;
};
export type BytedanceSeedreamV4EditInput = SeedDream4EditInput;
export type SeedanceProFastImageToVideoInput = {
  /**
   * The aspect ratio of the generated video Default value: `"auto"`
   */
  aspect_ratio?: "21:9" | "16:9" | "4:3" | "1:1" | "3:4" | "9:16" | "auto";
  /**
   * Whether to fix the camera position
   */
  camera_fixed?: boolean;
  /**
   * Duration of the video in seconds Default value: `"5"`
   */
  duration?: "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "10" | "11" | "12";
  /**
   * If set to true, the safety checker will be enabled. Default value: `true`
   */
  enable_safety_checker?: boolean;
  /**
   * The URL of the image used to generate video
   */
  image_url: string | Blob | File;
  /**
   * The number of frames to generate. If provided, will override duration.
   */
  num_frames?: number;
  /**
   * The text prompt used to generate the video
   */
  prompt: string;
  /**
   * Video resolution - 480p for faster generation, 720p for balance, 1080p for higher quality Default value: `"1080p"`
   */
  resolution?: "480p" | "720p" | "1080p";
  /**
   * Random seed to control video generation. Use -1 for random.
   */
  seed?: number;
};
export type BytedanceSeedanceV1ProFastImageToVideoInput =
  SeedanceProFastImageToVideoInput;
export type EndpointTypeMap = {
  "fal-ai/flux-2/turbo": {
    input: Flux2TurboInput;
    output: Flux2TurboOutput;
  };
  "fal-ai/bytedance/seedream/v4/text-to-image": {
    input: BytedanceSeedreamV4TextToImageInput;
    output: BytedanceSeedreamV4TextToImageOutput;
  };
  "fal-ai/bytedance/seedance/v1/pro/fast/text-to-video": {
    input: BytedanceSeedanceV1ProFastTextToVideoInput;
    output: BytedanceSeedanceV1ProFastTextToVideoOutput;
  };
  "fal-ai/flux-2/turbo/edit": {
    input: Flux2TurboEditInput;
    output: Flux2TurboEditOutput;
  };
  "fal-ai/bytedance/seedream/v4/edit": {
    input: BytedanceSeedreamV4EditInput;
    output: BytedanceSeedreamV4EditOutput;
  };
  "fal-ai/bytedance/seedance/v1/pro/fast/image-to-video": {
    input: BytedanceSeedanceV1ProFastImageToVideoInput;
    output: BytedanceSeedanceV1ProFastImageToVideoOutput;
  };
};

